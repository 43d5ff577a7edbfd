import { serviceMain } from '@pbx/platform';
import { routingService } from './routing.module';

void serviceMain(routingService);
