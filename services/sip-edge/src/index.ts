// Public entry of the SIP edge (the standalone process imports services only from here).
export { SipEdgeModule, sipEdgeService } from './sip-edge.module';
export { SipEdgeLifecycle } from './sip-edge.lifecycle';
export { deviceIdOf, aorOf } from './directory/device-credentials';
