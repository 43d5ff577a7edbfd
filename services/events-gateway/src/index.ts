export { EventsGatewayModule, eventsGatewayService } from './events-gateway.module';
