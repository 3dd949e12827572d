import { describe, expect, it } from 'vitest';
import { formatSlot } from '../src/shared/time.js';

describe('schedule times', () => {
  const start = '2020-04-14T09:00:00+07:00';
  const end = '2020-04-14T11:30:00+07:00';

  it('shows the host’s time and each viewer’s own', () => {
    expect(formatSlot(start, end, 'Asia/Ho_Chi_Minh', 'en')).toMatch(/09:00.*11:30/);
    expect(formatSlot(start, end, 'Asia/Yangon', 'en')).toMatch(/08:30.*11:00/);
    expect(formatSlot(start, end, 'Asia/Tokyo', 'en')).toMatch(/11:00.*13:30/);
  });

  it('writes the date in the viewer’s language', () => {
    expect(formatSlot(start, end, 'Asia/Ho_Chi_Minh', 'en')).toContain('Apr');
    expect(formatSlot(start, end, 'Asia/Ho_Chi_Minh', 'vi')).toMatch(/thg 4|tháng 4/);
  });
});
