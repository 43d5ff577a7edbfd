import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BARESIP_BINARY = '/usr/bin/baresip';
const MODULE_PATH = '/usr/lib/baresip/modules';

export interface BaresipAccount {
  readonly username: string;
  readonly password: string;
  readonly domain: string;
  /** host:port of the platform's SIP edge over UDP: every request goes there (outbound proxy). */
  readonly edge: string;
  /** `auto` answers incoming calls at once; `manual` lets them ring. */
  readonly answerMode: 'auto' | 'manual';
}

export interface BaresipPorts {
  /** UDP port baresip's SIP listens on (127.0.0.1). */
  readonly sip: number;
  /** TCP port of the ctrl_tcp module (127.0.0.1). */
  readonly control: number;
  /** First of the RTP ports baresip may use; it takes from [rtp, rtp + 20). */
  readonly rtp: number;
}

/**
 * The `config` file of baresip 1.0.0 for a headless phone: no sound card, no video.
 * - audio comes from ausine (a 440 Hz tone), which only runs at 48 kHz stereo; baresip resamples
 *   it to the codec's 8 kHz mono;
 * - received audio goes to aubridge, whose player needs no device (nothing reads the bridge);
 * - G.711 only, the codec every PBX speaks;
 * - ctrl_tcp takes commands (dial, hangup, quit) as netstrings and reports events back; it needs
 *   menu, which registers the commands.
 */
export function baresipConfig(ports: BaresipPorts): string {
  return [
    'poll_method\t\tepoll',
    // Media on loopback too: otherwise the SDP offers the default interface's address (an IP
    // address works here; the interface name "lo" does not in 1.0.0).
    'net_interface\t\t127.0.0.1',
    `sip_listen\t\t127.0.0.1:${ports.sip}`,
    'call_local_timeout\t30',
    'call_max_calls\t\t2',
    'audio_source\t\tausine,440',
    'ausrc_srate\t\t48000',
    'ausrc_channels\t\t2',
    'audio_player\t\taubridge,nowhere',
    'audio_alert\t\taubridge,nowhere',
    'audio_level\t\tno',
    `rtp_ports\t\t${ports.rtp}-${ports.rtp + 19}`,
    'rtp_stats\t\tno',
    `module_path\t\t${MODULE_PATH}`,
    'module\t\t\tg711.so',
    'module\t\t\tausine.so',
    'module\t\t\taubridge.so',
    'module_app\t\taccount.so',
    'module_app\t\tmenu.so',
    'module_app\t\tctrl_tcp.so',
    `ctrl_tcp_listen\t\t127.0.0.1:${ports.control}`,
    '',
  ].join('\n');
}

/**
 * The `accounts` file: one line, `<sip:user@domain>;addr-params` (baresip 1.0.0 syntax).
 * `outbound` routes every request through the edge, which the domain does not resolve to.
 */
export function baresipAccounts(account: BaresipAccount): string {
  const params = [
    `auth_pass=${account.password}`,
    `outbound="sip:${account.edge};transport=udp"`,
    `answermode=${account.answerMode}`,
    'audio_codecs=pcma,pcmu',
    'regint=600',
  ];
  return `<sip:${account.username}@${account.domain}>;${params.join(';')}\n`;
}

/** Writes `config` and `accounts` into `dir`, the folder given to `baresip -f`. */
export function writeBaresipConfig(
  dir: string,
  account: BaresipAccount,
  ports: BaresipPorts,
): void {
  writeFileSync(join(dir, 'config'), baresipConfig(ports));
  writeFileSync(join(dir, 'accounts'), baresipAccounts(account));
  // Present and empty: otherwise baresip writes a template with example contacts.
  writeFileSync(join(dir, 'contacts'), '');
}
