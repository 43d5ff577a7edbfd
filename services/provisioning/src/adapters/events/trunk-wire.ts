import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  TrunkAddedSchema,
  TrunkChangedSchema,
  TrunkRemovedSchema,
  TrunkTransport as WireTransport,
  type TrunkSpec as WireTrunkSpec,
  type TrunkSpecSchema,
} from '@pbx/proto';
import type { Trunk, TrunkTransport } from '../../domain/trunk/trunk';

/** The wire types of trunk events, whether of a group's stream or an operator trunk's. */
export const TRUNK_EVENT_TYPES: ReadonlySet<string> = new Set([
  TrunkAddedSchema.typeName,
  TrunkChangedSchema.typeName,
  TrunkRemovedSchema.typeName,
]);

const TO_WIRE: Readonly<Record<TrunkTransport, WireTransport>> = {
  udp: WireTransport.UDP,
  tcp: WireTransport.TCP,
  tls: WireTransport.TLS,
};

export function trunkToWire(trunk: Trunk): MessageInitShape<typeof TrunkSpecSchema> {
  return {
    name: trunk.name,
    host: trunk.host,
    port: trunk.port,
    transport: TO_WIRE[trunk.transport],
    username: trunk.credentials?.username,
    password: trunk.credentials?.password,
    register: trunk.register,
    inboundAddresses: [...trunk.inboundAddresses],
  };
}

/** Refuses what no valid apply writes: an unknown transport, or half a credential. */
export function trunkFromWire(spec: WireTrunkSpec | undefined, type: string): Trunk {
  if (!spec) throw new TypeError(`${type} without a spec`);
  const transport = (Object.keys(TO_WIRE) as TrunkTransport[]).find(
    (t) => TO_WIRE[t] === spec.transport,
  );
  if (!transport) throw new TypeError(`${type} with unknown transport ${spec.transport}`);
  if ((spec.username === undefined) !== (spec.password === undefined)) {
    throw new TypeError(`${type} with a username but no password, or the reverse`);
  }
  return {
    name: spec.name,
    host: spec.host,
    port: spec.port,
    transport,
    ...(spec.username !== undefined &&
      spec.password !== undefined && {
        credentials: { username: spec.username, password: spec.password },
      }),
    register: spec.register,
    inboundAddresses: [...spec.inboundAddresses],
  };
}
