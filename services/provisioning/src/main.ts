import { serviceMain } from '@pbx/platform';
import { provisioningService } from './provisioning.module';

void serviceMain(provisioningService);
