export { EventsGatewayModule, eventsGatewayService } from './events-gateway.module';
// The receiver's side of the signature scheme, for partners' reference and tests.
export {
  REPLAY_TOLERANCE_S,
  signedHeaders,
  verifySignature,
  WEBHOOK_HEADERS,
} from './domain/webhook-signature';
