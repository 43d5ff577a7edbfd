import { serviceMain } from '@pbx/platform';
import { eventsGatewayService } from './events-gateway.module';

void serviceMain(eventsGatewayService);
