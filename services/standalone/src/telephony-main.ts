import { servicesMain } from '@pbx/platform';
import { mediaService } from '@pbx/media';
import { routingService } from '@pbx/routing';
import { sipEdgeService } from '@pbx/sip-edge';

// The telephony node of the distributed shape: the SIP edge, routing and media in one process
// (they meet through in-process ports on every call); provisioning, numbers and the events
// gateway run as their own services and reach it through PostgreSQL and Kafka.
void servicesMain('telephony', [routingService, mediaService, sipEdgeService]);
