const CHALLENGE_HEADER = /^(www-authenticate|proxy-authenticate)\s*:/i;
const ALGORITHM = /[\s,]algorithm\s*=\s*"?([A-Za-z0-9-]+)"?/i;

function isMd5(header: string): boolean {
  const match = ALGORITHM.exec(header);
  // RFC 7616 3.3: no algorithm parameter means MD5.
  return match === null || match[1].toUpperCase() === 'MD5';
}

/**
 * SIP.js 0.21 keeps only the last WWW-Authenticate (or Proxy-Authenticate) of a 401/407 (its
 * parser replaces the header on each line) and gives up when that challenge is not MD5, the only
 * algorithm its digest knows. The platform offers one challenge per algorithm (RFC 8760), in the
 * order PBX_SIP_DIGEST_ALGORITHMS says. This drops the challenges SIP.js cannot answer when an
 * MD5 one is there, so that it answers that one, whatever the order; RFC 8760 2.4 expects a
 * client to pick a challenge it supports. Other messages are returned as they are.
 */
export function keepMd5Challenges(message: string): string {
  if (!/^SIP\/2\.0 40[17] /.test(message)) return message;
  const headEnd = message.indexOf('\r\n\r\n');
  if (headEnd < 0) return message;
  const lines = message.slice(0, headEnd).split('\r\n');
  // Header fields, with folded continuation lines kept with their field.
  const fields: string[] = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) {
      fields[fields.length - 1] += `\r\n${line}`;
    } else {
      fields.push(line);
    }
  }
  const challenges = fields.filter((field, index) => index > 0 && CHALLENGE_HEADER.test(field));
  const md5 = challenges.filter(isMd5);
  if (md5.length === 0 || md5.length === challenges.length) return message;
  const kept = fields.filter(
    (field, index) => index === 0 || !CHALLENGE_HEADER.test(field) || isMd5(field),
  );
  return kept.join('\r\n') + message.slice(headEnd);
}
