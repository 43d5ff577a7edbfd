import { servicesMain } from '@pbx/platform';
import { mediaService } from '@pbx/media';
import { routingService } from '@pbx/routing';
import { sipEdgeService } from '@pbx/sip-edge';
import { webPhoneSite } from './web-phone-site';

// The telephony node of the distributed shape: the SIP edge, routing and media in one process
// (they meet through in-process ports on every call); provisioning, numbers and the events
// gateway run as their own services and reach it through PostgreSQL and Kafka. It also serves
// the web phone: the page's SIP WebSocket, session and call log are all on this node.
void servicesMain('telephony', [routingService, mediaService, sipEdgeService], {
  staticSites: [webPhoneSite()],
});
