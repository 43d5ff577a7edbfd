import { dutchNumberKind, type DutchNumberKind } from './dutch-number-kind';
import { parsePhoneNumber } from './phone-number';

function kindOf(text: string): DutchNumberKind {
  const parsed = parsePhoneNumber(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return dutchNumberKind(parsed.value);
}

describe(dutchNumberKind.name, () => {
  it.each([
    ['+31201234500', 'regional'],
    ['+31104567890', 'regional'],
    ['+31582345678', 'regional'],
    ['+31701234567', 'regional'],
    ['+31851234567', 'national-085'],
    ['+31881234567', 'national-088'],
    ['+31612345678', 'mobile'],
    ['+318001234', 'service'],
    ['+319001234567', 'service'],
    ['+319061234567', 'service'],
    ['+31661234567', 'other'],
    ['+3114020', 'other'],
    ['+31842123456', 'other'],
    ['+3225551234', 'other'],
    ['+493012345678', 'other'],
  ] as const)('classifies %s as %s', (number, kind) => {
    expect(kindOf(number)).toBe(kind);
  });
});
