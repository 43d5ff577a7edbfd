export { ProvisioningModule, provisioningService } from './provisioning.module';
