import { x } from '@pbx/config'; console.log('ok', x);
