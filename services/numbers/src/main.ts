import { serviceMain } from '@pbx/platform';
import { numbersService } from './numbers.module';

void serviceMain(numbersService);
