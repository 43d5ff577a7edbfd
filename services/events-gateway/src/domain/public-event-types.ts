/*
 * ============================================================================================
 *  WIRE NAMES. Partners subscribe to these CloudEvents `type` values (the protobuf message
 *  names) and the AsyncAPI document lists them. Never rename or remove one without a migration
 *  plan: a breaking change is a new version package (`pbx.<area>.v2`) published side by side.
 *  The AsyncAPI test checks this list against every type the services encode.
 * ============================================================================================
 */

/** Every event type the platform publishes to partners, by topic. */
export const PUBLIC_EVENT_TYPES = {
  'pbx.calls.v1': [
    'pbx.calls.v1.CallStarted',
    'pbx.calls.v1.CallRejected',
    'pbx.calls.v1.CallRinging',
    'pbx.calls.v1.CallAnswered',
    'pbx.calls.v1.CallHeld',
    'pbx.calls.v1.CallResumed',
    'pbx.calls.v1.CallEnded',
  ],
  'pbx.registrations.v1': [
    'pbx.registrations.v1.DeviceRegistered',
    'pbx.registrations.v1.DeviceUnregistered',
  ],
  'pbx.numbers.v1': [
    'pbx.numbers.v1.NumberBlockOrdered',
    'pbx.numbers.v1.NumberBlockPortingScheduled',
    'pbx.numbers.v1.NumberBlockActivated',
    'pbx.numbers.v1.NumberBlockCancelled',
    'pbx.numbers.v1.NumberBlockSplit',
    'pbx.numbers.v1.NumberBlockSplitPartCreated',
    'pbx.numbers.v1.NumberAssigned',
    'pbx.numbers.v1.NumberUnassigned',
    'pbx.numbers.v1.NumberBlockReserved',
    'pbx.numbers.v1.NumberBlockReleased',
  ],
  'pbx.provisioning.v1': [
    'pbx.provisioning.v1.TenantCreated',
    'pbx.provisioning.v1.TenantRenamed',
    'pbx.provisioning.v1.EnterpriseCreated',
    'pbx.provisioning.v1.EnterpriseChanged',
    'pbx.provisioning.v1.EnterpriseDeleted',
    'pbx.provisioning.v1.GroupCreated',
    'pbx.provisioning.v1.GroupSettingsChanged',
    'pbx.provisioning.v1.GroupDeleted',
    'pbx.provisioning.v1.GroupJoinedEnterprise',
    'pbx.provisioning.v1.DepartmentAdded',
    'pbx.provisioning.v1.DepartmentChanged',
    'pbx.provisioning.v1.DepartmentRemoved',
    'pbx.provisioning.v1.UserAdded',
    'pbx.provisioning.v1.UserChanged',
    'pbx.provisioning.v1.UserNumbersChanged',
    'pbx.provisioning.v1.UserRemoved',
    'pbx.provisioning.v1.DeviceAdded',
    'pbx.provisioning.v1.DeviceChanged',
    'pbx.provisioning.v1.DeviceCredentialsChanged',
    'pbx.provisioning.v1.DeviceRemoved',
    'pbx.provisioning.v1.HuntGroupAdded',
    'pbx.provisioning.v1.HuntGroupChanged',
    'pbx.provisioning.v1.HuntGroupRemoved',
    'pbx.provisioning.v1.ScheduleSet',
    'pbx.provisioning.v1.ScheduleRemoved',
    'pbx.provisioning.v1.TrunkAdded',
    'pbx.provisioning.v1.TrunkChanged',
    'pbx.provisioning.v1.TrunkRemoved',
  ],
} as const satisfies Record<string, readonly string[]>;

export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[keyof typeof PUBLIC_EVENT_TYPES][number];

/** The list flat, in the order above. */
export const ALL_PUBLIC_EVENT_TYPES: readonly string[] = Object.values(PUBLIC_EVENT_TYPES).flat();
