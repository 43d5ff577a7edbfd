import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import {
  isE164Form,
  isValidPhoneNumber,
  MINIMUM_USER_PROFILES,
  parseTimeZone,
  USER_PROFILES,
} from './domain-rules';
import { MAX_GROUP_TRUNKS, readTrunkSpec, type TrunkSpec } from '../trunk/trunk-spec';
import {
  CALLER_ID_PRESENTATIONS,
  DEVICE_KINDS,
  HUNT_GROUP_POLICIES,
  WEEKDAYS,
  type Department,
  type DeviceKind,
  type GroupSettings,
  type HuntGroup,
  type Schedule,
  type UserDetails,
  type Weekday,
} from './group';
import {
  Claims,
  field,
  formatProblem,
  item,
  SpecProblems,
  type SpecProblem,
} from './spec-problems';

/**
 * The desired state of a group: the `spec` of a `kind: Group` manifest that `pbx apply -f`
 * makes true. Lists are keyed (users and hunt groups by extension, devices by username,
 * departments and schedules by name), so re-ordering users changes nothing.
 */
export interface DeviceSpec {
  readonly username: string;
  /** Omitted for an existing device: it keeps its credentials. Never stored, never echoed. */
  readonly password?: string;
  readonly kind: DeviceKind;
  readonly flexHost: boolean;
}

export interface UserSpec extends UserDetails {
  readonly numbers: readonly string[];
  readonly devices: readonly DeviceSpec[];
}

export type DepartmentSpec = Department;
export type HuntGroupSpec = HuntGroup;
export type ScheduleSpec = Schedule;

export interface GroupSpecFields extends GroupSettings {
  /**
   * The enterprise the group belongs to (T2), chosen when the group is created and fixed (T3);
   * absent for a standalone Group. The group's tenant is then the enterprise's.
   */
  readonly enterprise?: string;
  readonly departments: readonly DepartmentSpec[];
  readonly users: readonly UserSpec[];
  readonly huntGroups: readonly HuntGroupSpec[];
  readonly schedules: readonly ScheduleSpec[];
  /** The group's own carrier trunks (issue 5), keyed by name; passwords may be left out. */
  readonly trunks: readonly TrunkSpec[];
}

declare const validated: unique symbol;
/** A spec that passed `validateGroupSpec` (or came from a valid state): the decider trusts it. */
export type GroupSpec = GroupSpecFields & { readonly [validated]: true };

export type GroupSpecValidation =
  | { readonly ok: true; readonly spec: GroupSpec }
  | { readonly ok: false; readonly problems: readonly SpecProblem[] };

/** Marks a spec built from an already valid state; everything else goes through validation. */
export function trustedGroupSpec(fields: GroupSpecFields): GroupSpec {
  return fields as GroupSpec;
}

// RFC 1035 host names, at least two labels: the SIP domain users register under (T4).
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// Kubernetes-style resource name: `pbx get group acme` finds the group by it.
const GROUP_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// 2-6 digits; a leading 0 is the trunk prefix and * or # start feature codes.
const EXTENSION = /^[1-9]\d{1,5}$/;
// RFC 3261 allows more in a user part; this subset is safe in URIs, configs and file names.
const SIP_USERNAME = /^[a-z0-9._-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INTERVAL = /^([01]\d|2[0-3]):([0-5]\d)-(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Extensions the platform dials itself; a user or hunt group must not shadow them. */
const RESERVED_EXTENSIONS: Readonly<Record<string, string>> = {
  '112': 'emergency calls (G12)',
  '1233': 'the voice portal (G11)',
};

const ROOT_FIELDS = [
  'enterprise',
  'domain',
  'timezone',
  'mainNumber',
  'departments',
  'users',
  'huntGroups',
  'schedules',
  'trunks',
] as const;
const DEPARTMENT_FIELDS = ['name', 'number'] as const;
const USER_FIELDS = [
  'extension',
  'name',
  'email',
  'profile',
  'department',
  'numbers',
  'devices',
  'presentation',
] as const;
const DEVICE_FIELDS = ['username', 'password', 'kind', 'flexHost'] as const;
const HUNT_GROUP_FIELDS = ['extension', 'name', 'policy', 'number', 'members'] as const;
const SCHEDULE_FIELDS = ['name', 'type', 'days', 'dates'] as const;
const SCHEDULE_TYPES = ['business-hours', 'holidays'] as const;

/** Checks a group resource name (`metadata.name`); undefined when it is fine. */
export function checkGroupName(name: string): SpecProblem | undefined {
  return GROUP_NAME.test(name)
    ? undefined
    : {
        path: 'metadata.name',
        message: `"${name.slice(0, 70)}" must be 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit, such as acme`,
      };
}

/**
 * Validates an untrusted spec (parsed YAML or JSON) and reports every problem with its path.
 * Rules that need the current state (a new device needs a password; a domain change needs every
 * password) are the decider's.
 */
export function validateGroupSpec(input: unknown): GroupSpecValidation {
  const problems = new SpecProblems();
  const root = problems.object(input, '', ROOT_FIELDS, [
    'domain',
    'timezone',
    'mainNumber',
    'users',
  ]);
  if (!root) return { ok: false, problems: problems.all };
  const v = new SpecReader(problems);

  const enterprise = v.enterprise(root.enterprise, 'enterprise');
  const domain = v.domain(root.domain, 'domain');
  const timezone = v.timezone(root.timezone, 'timezone');
  const mainNumber = v.phoneNumber(root.mainNumber, 'mainNumber');
  if (mainNumber !== undefined) v.numbers.claim(mainNumber, 'mainNumber', 'mainNumber');

  const departments = problems
    .list(root.departments, 'departments')
    .map((d, i) => v.department(d, item('departments', i)));
  const schedules = problems
    .list(root.schedules, 'schedules')
    .map((s, i) => v.schedule(s, item('schedules', i)));
  const userInputs = problems.list(root.users, 'users');
  const users = userInputs.map((u, i) => v.user(u, item('users', i)));
  const huntGroups = problems
    .list(root.huntGroups, 'huntGroups')
    .map((h, i) => v.huntGroup(h, item('huntGroups', i)));
  const trunkInputs = problems.list(root.trunks, 'trunks');
  if (trunkInputs.length > MAX_GROUP_TRUNKS) {
    problems.add('trunks', `at most ${MAX_GROUP_TRUNKS} trunks, got ${trunkInputs.length}`);
  }
  const trunks = trunkInputs.map((t, i) => v.trunk(t, item('trunks', i)));
  if (Array.isArray(root.users) && userInputs.length < MINIMUM_USER_PROFILES) {
    problems.add(
      'users',
      `a PBX needs at least ${MINIMUM_USER_PROFILES} user profiles, found ${userInputs.length}`,
    );
  }

  if (
    problems.all.length > 0 ||
    domain === undefined ||
    timezone === undefined ||
    mainNumber === undefined
  ) {
    return { ok: false, problems: problems.all };
  }
  return {
    ok: true,
    spec: trustedGroupSpec({
      ...(enterprise !== undefined && { enterprise }),
      domain,
      timezone,
      mainNumber,
      departments: departments.filter(isDefined),
      users: users.filter(isDefined),
      huntGroups: huntGroups.filter(isDefined),
      schedules: schedules.filter(isDefined),
      trunks: trunks.filter(isDefined),
    }),
  };
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** Reads one spec, remembering what is claimed so far (numbers, extensions, names). */
class SpecReader {
  /** Phone numbers are unique across the group: main, departments, users, hunt groups. */
  readonly numbers: Claims;
  /** User and hunt group extensions share one dial plan. */
  private readonly extensions: Claims;
  private readonly usernames: Claims;
  private readonly departmentNames: Claims;
  private readonly scheduleNames: Claims;
  private readonly trunkNames: Claims;
  private readonly userExtensions = new Set<string>();

  constructor(private readonly problems: SpecProblems) {
    this.numbers = new Claims(problems);
    this.extensions = new Claims(problems);
    this.usernames = new Claims(problems);
    this.departmentNames = new Claims(problems);
    this.scheduleNames = new Claims(problems);
    this.trunkNames = new Claims(problems);
  }

  enterprise(value: unknown, path: string): string | undefined {
    const text = this.problems.string(value, path);
    if (text === undefined) return undefined;
    if (GROUP_NAME.test(text)) return text;
    this.problems.add(
      path,
      `"${clip(text)}" is not an enterprise name: 1-63 lowercase letters, digits or "-", such as holding`,
    );
    return undefined;
  }

  domain(value: unknown, path: string): string | undefined {
    const text = this.problems.string(value, path);
    if (text === undefined) return undefined;
    const normalised = text.toLowerCase();
    if (DOMAIN.test(normalised)) return normalised;
    this.problems.add(path, `"${clip(text)}" is not a DNS name such as acme.example`);
    return undefined;
  }

  timezone(value: unknown, path: string): string | undefined {
    const text = this.problems.string(value, path);
    if (text === undefined) return undefined;
    const zone = parseTimeZone(text);
    if (zone === undefined) {
      this.problems.add(path, `"${clip(text)}" is not an IANA time zone such as Europe/Amsterdam`);
    }
    return zone;
  }

  phoneNumber(value: unknown, path: string): string | undefined {
    const text = this.problems.string(value, path);
    if (text === undefined) return undefined;
    if (isValidPhoneNumber(text)) return text;
    this.problems.add(
      path,
      isE164Form(text)
        ? `"${clip(text)}" is not a valid phone number`
        : `"${clip(text)}" is not a valid phone number; write it in E.164 form such as +31201234500`,
    );
    return undefined;
  }

  name(value: unknown, path: string): string | undefined {
    const text = this.problems.string(value, path);
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    if (trimmed.length > 0 && trimmed.length <= 100 && !CONTROL.test(trimmed)) return trimmed;
    this.problems.add(path, 'must be 1-100 printable characters');
    return undefined;
  }

  extension(value: unknown, path: string, owner: string): string | undefined {
    const text = this.problems.string(value, path);
    if (text === undefined) return undefined;
    if (!EXTENSION.test(text)) {
      this.problems.add(
        path,
        /^[*#]/.test(text)
          ? `"${clip(text)}" is a feature code; extensions are 2-6 digits not starting with 0`
          : `"${clip(text)}" must be 2-6 digits not starting with 0`,
      );
      return undefined;
    }
    const reserved = RESERVED_EXTENSIONS[text];
    if (reserved !== undefined) {
      this.problems.add(path, `"${text}" is reserved for ${reserved}`);
      return undefined;
    }
    return this.extensions.claim(text, path, owner) ? text : undefined;
  }

  department(value: unknown, path: string): DepartmentSpec | undefined {
    const input = this.problems.object(value, path, DEPARTMENT_FIELDS, ['name']);
    if (!input) return undefined;
    const name = this.name(input.name, field(path, 'name'));
    if (name !== undefined) this.departmentNames.claim(name, field(path, 'name'), path);
    const number = this.optionalNumber(input.number, field(path, 'number'), path);
    if (name === undefined || number === null) return undefined;
    return number === undefined ? { name } : { name, number };
  }

  user(value: unknown, path: string): UserSpec | undefined {
    const input = this.problems.object(value, path, USER_FIELDS, ['extension', 'name', 'profile']);
    if (!input) return undefined;
    const extension = this.extension(input.extension, field(path, 'extension'), path);
    if (extension !== undefined) this.userExtensions.add(extension);
    const name = this.name(input.name, field(path, 'name'));
    const email = this.email(input.email, field(path, 'email'));
    const profile = this.problems.oneOf(
      input.profile,
      field(path, 'profile'),
      'profile',
      USER_PROFILES,
    );
    const department = this.departmentRef(input.department, field(path, 'department'));
    const numbersPath = field(path, 'numbers');
    const numbers = this.problems.list(input.numbers, numbersPath).map((n, i) => {
      const number = this.phoneNumber(n, item(numbersPath, i));
      if (number !== undefined && !this.numbers.claim(number, item(numbersPath, i), path)) {
        return undefined;
      }
      return number;
    });
    const devicesPath = field(path, 'devices');
    const devices = this.problems
      .list(input.devices, devicesPath)
      .map((d, i) => this.device(d, item(devicesPath, i)));
    const presentation =
      input.presentation === undefined || input.presentation === null
        ? 'allowed'
        : this.problems.oneOf(
            input.presentation,
            field(path, 'presentation'),
            'presentation',
            CALLER_ID_PRESENTATIONS,
          );
    if (
      extension === undefined ||
      name === undefined ||
      email === null ||
      profile === undefined ||
      presentation === undefined ||
      department === null ||
      !numbers.every(isDefined) ||
      !devices.every(isDefined)
    ) {
      return undefined;
    }
    return {
      extension,
      name,
      ...(email !== undefined && { email }),
      profile,
      ...(department !== undefined && { department }),
      ...(presentation === 'restricted' && { presentation }),
      numbers,
      devices,
    };
  }

  trunk(value: unknown, path: string): TrunkSpec | undefined {
    const trunk = readTrunkSpec(this.problems, value, path);
    if (trunk === undefined) return undefined;
    return this.trunkNames.claim(trunk.name, field(path, 'name'), path) ? trunk : undefined;
  }

  device(value: unknown, path: string): DeviceSpec | undefined {
    const input = this.problems.object(value, path, DEVICE_FIELDS, ['username', 'kind']);
    if (!input) return undefined;
    const usernamePath = field(path, 'username');
    let username = this.problems.string(input.username, usernamePath);
    if (username !== undefined && !SIP_USERNAME.test(username)) {
      this.problems.add(
        usernamePath,
        `"${clip(username)}" must be 1-64 lowercase letters, digits, ".", "-" or "_"`,
      );
      username = undefined;
    }
    if (username !== undefined && !this.usernames.claim(username, usernamePath, path)) {
      username = undefined;
    }
    const password = this.password(input.password, field(path, 'password'), username);
    const kind = this.problems.oneOf(input.kind, field(path, 'kind'), 'kind', DEVICE_KINDS);
    const flexHost = this.problems.boolean(input.flexHost, field(path, 'flexHost')) ?? false;
    if (username === undefined || password === null || kind === undefined) return undefined;
    return password === undefined
      ? { username, kind, flexHost }
      : { username, password, kind, flexHost };
  }

  huntGroup(value: unknown, path: string): HuntGroupSpec | undefined {
    const input = this.problems.object(value, path, HUNT_GROUP_FIELDS, [
      'extension',
      'name',
      'policy',
    ]);
    if (!input) return undefined;
    const extension = this.extension(input.extension, field(path, 'extension'), path);
    const name = this.name(input.name, field(path, 'name'));
    const policy = this.problems.oneOf(
      input.policy,
      field(path, 'policy'),
      'policy',
      HUNT_GROUP_POLICIES,
    );
    const number = this.optionalNumber(input.number, field(path, 'number'), path);
    const membersPath = field(path, 'members');
    const seen = new Set<string>();
    const members = this.problems.list(input.members, membersPath).map((m, i) => {
      const member = this.problems.string(m, item(membersPath, i));
      if (member === undefined) return undefined;
      if (!this.userExtensions.has(member)) {
        this.problems.add(item(membersPath, i), `no user with extension "${clip(member)}"`);
        return undefined;
      }
      if (seen.has(member)) {
        this.problems.add(item(membersPath, i), `"${member}" is listed twice`);
        return undefined;
      }
      seen.add(member);
      return member;
    });
    if (
      extension === undefined ||
      name === undefined ||
      policy === undefined ||
      number === null ||
      !members.every(isDefined)
    ) {
      return undefined;
    }
    return number === undefined
      ? { extension, name, policy, members }
      : { extension, name, policy, number, members };
  }

  schedule(value: unknown, path: string): ScheduleSpec | undefined {
    const record =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const type = SCHEDULE_TYPES.find((t) => t === record.type);
    const required = type === 'business-hours' ? ['days'] : type === 'holidays' ? ['dates'] : [];
    const input = this.problems.object(value, path, SCHEDULE_FIELDS, ['name', 'type', ...required]);
    if (!input) return undefined;
    if (type === 'business-hours' && input.dates !== undefined) {
      this.problems.add(field(path, 'dates'), 'only a holidays schedule has dates');
    }
    if (type === 'holidays' && input.days !== undefined) {
      this.problems.add(field(path, 'days'), 'only a business-hours schedule has days');
    }
    let name = this.name(input.name, field(path, 'name'));
    if (name !== undefined && !this.scheduleNames.claim(name, field(path, 'name'), path)) {
      name = undefined;
    }
    if (type === undefined) {
      if (input.type !== undefined && input.type !== null) {
        this.problems.oneOf(input.type, field(path, 'type'), 'type', SCHEDULE_TYPES);
      }
      return undefined;
    }
    if (type === 'business-hours') {
      const days = this.weekdays(input.days, field(path, 'days'));
      return name === undefined || days === undefined ? undefined : { name, type, days };
    }
    const dates = this.dates(input.dates, field(path, 'dates'));
    return name === undefined || dates === undefined ? undefined : { name, type, dates };
  }

  /** undefined when absent, null when wrong (already reported). */
  private optionalNumber(value: unknown, path: string, owner: string): string | undefined | null {
    if (value === undefined || value === null) return undefined;
    const number = this.phoneNumber(value, path);
    if (number === undefined || !this.numbers.claim(number, path, owner)) return null;
    return number;
  }

  private email(value: unknown, path: string): string | undefined | null {
    if (value === undefined || value === null) return undefined;
    const text = this.problems.string(value, path);
    if (text === undefined) return null;
    if (text.length <= 254 && EMAIL.test(text)) return text;
    this.problems.add(path, `"${clip(text)}" is not an e-mail address`);
    return null;
  }

  private departmentRef(value: unknown, path: string): string | undefined | null {
    if (value === undefined || value === null) return undefined;
    const text = this.problems.string(value, path);
    if (text === undefined) return null;
    if (this.departmentNames.has(text)) return text;
    this.problems.add(path, `no department named "${clip(text)}"`);
    return null;
  }

  private password(
    value: unknown,
    path: string,
    username: string | undefined,
  ): string | undefined | null {
    if (value === undefined || value === null) return undefined;
    const text = this.problems.string(value, path);
    if (text === undefined) return null;
    const length = [...text].length;
    if (length < 8 || length > 128) {
      this.problems.add(path, 'must be 8-128 characters');
      return null;
    }
    if (CONTROL.test(text)) {
      this.problems.add(path, 'must not contain control characters');
      return null;
    }
    if (username !== undefined && text.toLowerCase() === username.toLowerCase()) {
      this.problems.add(path, 'must not equal the username');
      return null;
    }
    return text;
  }

  private weekdays(
    value: unknown,
    path: string,
  ): Readonly<Partial<Record<Weekday, readonly string[]>>> | undefined {
    if (value === undefined || value === null) return undefined;
    const input = this.problems.object(value, path, WEEKDAYS);
    if (!input) return undefined;
    const days: Partial<Record<Weekday, readonly string[]>> = {};
    let valid = true;
    for (const day of WEEKDAYS) {
      const intervals = this.intervals(input[day], field(path, day));
      if (intervals === undefined) valid = false;
      else if (intervals.length > 0) days[day] = intervals;
    }
    return valid ? days : undefined;
  }

  /** Sorted by start; touching intervals are fine, overlapping ones are refused. */
  private intervals(value: unknown, path: string): readonly string[] | undefined {
    const parsed: { text: string; start: number; end: number; path: string }[] = [];
    let valid = true;
    this.problems.list(value, path).forEach((v, i) => {
      const text = this.problems.string(v, item(path, i));
      const match = text === undefined ? null : INTERVAL.exec(text);
      const start = match ? Number(match[1]) * 60 + Number(match[2]) : 0;
      const end = match ? Number(match[3] ?? match[5]) * 60 + Number(match[4] ?? match[6]) : 0;
      if (text === undefined) {
        valid = false;
      } else if (!match || start >= end) {
        this.problems.add(
          item(path, i),
          `"${clip(text)}" must be HH:MM-HH:MM with the start before the end`,
        );
        valid = false;
      } else {
        parsed.push({ text, start, end, path: item(path, i) });
      }
    });
    parsed.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < parsed.length; i++) {
      if (parsed[i].start < parsed[i - 1].end) {
        this.problems.add(parsed[i].path, `"${parsed[i].text}" overlaps "${parsed[i - 1].text}"`);
        valid = false;
      }
    }
    return valid ? parsed.map((p) => p.text) : undefined;
  }

  private dates(value: unknown, path: string): readonly string[] | undefined {
    if (value === undefined || value === null) return undefined;
    const dates = new Set<string>();
    let valid = true;
    this.problems.list(value, path).forEach((v, i) => {
      const text = this.problems.string(v, item(path, i));
      if (text === undefined) {
        valid = false;
      } else if (!isCalendarDate(text)) {
        this.problems.add(item(path, i), `"${clip(text)}" is not a date in the form YYYY-MM-DD`);
        valid = false;
      } else if (dates.has(text)) {
        this.problems.add(item(path, i), `"${text}" is listed twice`);
        valid = false;
      } else {
        dates.add(text);
      }
    });
    return valid ? [...dates].sort() : undefined;
  }
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Keeps messages short when someone pastes a paragraph into a field. */
function clip(text: string): string {
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
}

/** The one error for a spec that breaks rules; the message lists the first problems. */
export function groupSpecError(problems: readonly SpecProblem[]): ProvisioningError {
  const shown = problems.slice(0, 10).map(formatProblem);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new ProvisioningError(
    ProvisioningErrorCode.InvalidGroupSpec,
    `the group spec has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown.join('; ')}${more}`,
    { problems },
  );
}
