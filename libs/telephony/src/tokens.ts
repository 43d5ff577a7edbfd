// Injection tokens of the telephony ports: the service implementing a port provides it under its
// token from a global module; the service using it injects the token.
export const CALL_ROUTING = Symbol.for('pbx.telephony.CallRouting');
export const TRUNK_DIRECTORY = Symbol.for('pbx.telephony.TrunkDirectory');
export const MEDIA_CONTROL = Symbol.for('pbx.telephony.MediaControl');
