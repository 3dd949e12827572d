import type { ReactElement } from 'react';

// Flags drawn on a 30 × 20 field: simplified, recognisable at nameplate size, no downloads.

/** Points of a star with `points` tips around (cx, cy), first tip straight up unless turned. */
export function star(cx: number, cy: number, outer: number, inner: number, points = 5, turn = 0): string {
  const result: string[] = [];
  for (let i = 0; i < points * 2; i++) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + turn + (i * Math.PI) / points;
    result.push(
      `${(cx + radius * Math.cos(angle)).toFixed(2)},${(cy + radius * Math.sin(angle)).toFixed(2)}`,
    );
  }
  return result.join(' ');
}

/** Horizontal bands from top to bottom, each [colour, relative height]. */
function Bands({ bands }: { bands: [string, number][] }) {
  const total = bands.reduce((sum, [, h]) => sum + h, 0);
  let y = 0;
  const rects = bands.map(([fill, h]) => {
    const top = y;
    y += (h / total) * 20;
    return { fill, top, height: (h / total) * 20 };
  });
  return (
    <>
      {rects.map(({ fill, top, height }) => (
        <rect key={top} x={0} y={top} width={30} height={height + 0.01} fill={fill} />
      ))}
    </>
  );
}

const Brunei = () => (
  <>
    <rect width={30} height={20} fill="#F7E017" />
    <polygon points="0,3 0,7.5 30,17 30,12.5" fill="#FFFFFF" />
    <polygon points="0,7.5 0,11 30,20.5 30,17" fill="#000000" />
    <g fill="#CF1126">
      <path d="M10.5,10.5 A4.5,4.5 0 0 0 19.5,10.5 A4.5,3.2 0 0 1 10.5,10.5 Z" />
      <rect x={14.4} y={5} width={1.2} height={8} />
      <path d="M12.5,6 L17.5,6 L16.5,4.6 L13.5,4.6 Z" />
      <rect x={11.5} y={15} width={7} height={1.2} />
    </g>
  </>
);

const Cambodia = () => (
  <>
    <Bands
      bands={[
        ['#032EA1', 1],
        ['#E00025', 2],
        ['#032EA1', 1],
      ]}
    />
    <g fill="#FFFFFF">
      <rect x={9} y={12.4} width={12} height={1.2} />
      <polygon points="13.6,12.4 14.2,7 15,5.4 15.8,7 16.4,12.4" />
      <polygon points="10.6,12.4 11.1,8.6 11.7,7.6 12.3,8.6 12.8,12.4" />
      <polygon points="17.2,12.4 17.7,8.6 18.3,7.6 18.9,8.6 19.4,12.4" />
      <rect x={9.6} y={10.4} width={10.8} height={0.8} />
    </g>
  </>
);

const Indonesia = () => (
  <Bands
    bands={[
      ['#CE1126', 1],
      ['#FFFFFF', 1],
    ]}
  />
);

const Laos = () => (
  <>
    <Bands
      bands={[
        ['#CE1126', 1],
        ['#002868', 2],
        ['#CE1126', 1],
      ]}
    />
    <circle cx={15} cy={10} r={4} fill="#FFFFFF" />
  </>
);

const Malaysia = () => {
  const stripe = 20 / 14;
  const stripes = Array.from({ length: 14 }, (_, i) => ({
    y: i * stripe,
    fill: i % 2 === 0 ? '#CC0001' : '#FFFFFF',
  }));
  return (
    <>
      {stripes.map(({ y, fill }) => (
        <rect key={y} y={y} width={30} height={stripe + 0.01} fill={fill} />
      ))}
      <rect width={15} height={stripe * 8} fill="#010066" />
      <circle cx={5.6} cy={5.7} r={4} fill="#FFCC00" />
      <circle cx={6.6} cy={5.7} r={3.4} fill="#010066" />
      <polygon points={star(10.6, 5.7, 3.1, 1.3, 14)} fill="#FFCC00" />
    </>
  );
};

const Myanmar = () => (
  <>
    <Bands
      bands={[
        ['#FECB00', 1],
        ['#34B233', 1],
        ['#EA2839', 1],
      ]}
    />
    <polygon points={star(15, 10.6, 7.6, 2.9)} fill="#FFFFFF" />
  </>
);

const Philippines = () => (
  <>
    <Bands
      bands={[
        ['#0038A8', 1],
        ['#CE1126', 1],
      ]}
    />
    <polygon points="0,0 17.3,10 0,20" fill="#FFFFFF" />
    <g fill="#FCD116">
      <polygon points={star(5.8, 10, 3.6, 1.6, 8)} />
      <circle cx={5.8} cy={10} r={1.8} />
      <polygon points={star(1.9, 2.6, 1.1, 0.45)} />
      <polygon points={star(1.9, 17.4, 1.1, 0.45)} />
      <polygon points={star(14, 10, 1.1, 0.45)} />
    </g>
  </>
);

const Singapore = () => (
  <>
    <Bands
      bands={[
        ['#EF3340', 1],
        ['#FFFFFF', 1],
      ]}
    />
    <circle cx={6.2} cy={5} r={3.6} fill="#FFFFFF" />
    <circle cx={7.6} cy={5} r={3.4} fill="#EF3340" />
    <g fill="#FFFFFF">
      {[0, 1, 2, 3, 4].map((i) => {
        const angle = -Math.PI / 2 + (i * 2 * Math.PI) / 5;
        return (
          <polygon key={i} points={star(9.6 + 1.6 * Math.cos(angle), 5 + 1.6 * Math.sin(angle), 0.6, 0.25)} />
        );
      })}
    </g>
  </>
);

const Thailand = () => (
  <Bands
    bands={[
      ['#A51931', 1],
      ['#F4F5F8', 1],
      ['#2D2A4A', 2],
      ['#F4F5F8', 1],
      ['#A51931', 1],
    ]}
  />
);

const VietNam = () => (
  <>
    <rect width={30} height={20} fill="#DA251D" />
    <polygon points={star(15, 10.4, 6, 2.3)} fill="#FFFF00" />
  </>
);

const China = () => (
  <>
    <rect width={30} height={20} fill="#EE1C25" />
    <g fill="#FFFF00">
      <polygon points={star(5, 5, 3, 1.15)} />
      <polygon points={star(10, 2, 1, 0.38, 5, 0.9)} />
      <polygon points={star(12, 4, 1, 0.38, 5, 0.4)} />
      <polygon points={star(12, 7, 1, 0.38)} />
      <polygon points={star(10, 9, 1, 0.38, 5, 0.9)} />
    </g>
  </>
);

const Japan = () => (
  <>
    <rect width={30} height={20} fill="#FFFFFF" />
    <circle cx={15} cy={10} r={6} fill="#BC002D" />
  </>
);

/** One trigram: three bars, split where the line is broken (yin). */
function Trigram({ x, y, turn, broken }: { x: number; y: number; turn: number; broken: boolean[] }) {
  return (
    <g transform={`translate(${x} ${y}) rotate(${turn})`} fill="#000000">
      {broken
        .map((split, i) => ({ split, top: -1.6 + i * 1.2 }))
        .map(({ split, top }) =>
          split ? (
            <g key={top}>
              <rect x={-2} y={top} width={1.8} height={0.8} />
              <rect x={0.2} y={top} width={1.8} height={0.8} />
            </g>
          ) : (
            <rect key={top} x={-2} y={top} width={4} height={0.8} />
          ),
        )}
    </g>
  );
}

const Korea = () => (
  <>
    <rect width={30} height={20} fill="#FFFFFF" />
    <g transform="rotate(33.7 15 10)">
      <path d="M10,10 A5,5 0 0 1 20,10 Z" fill="#CD2E3A" />
      <path d="M10,10 A5,5 0 0 0 20,10 Z" fill="#0047A0" />
      <circle cx={12.5} cy={10} r={2.5} fill="#CD2E3A" />
      <circle cx={17.5} cy={10} r={2.5} fill="#0047A0" />
    </g>
    <Trigram x={6.5} y={4.5} turn={-56.3} broken={[false, false, false]} />
    <Trigram x={23.5} y={15.5} turn={-56.3} broken={[true, true, true]} />
    <Trigram x={23.5} y={4.5} turn={56.3} broken={[false, true, false]} />
    <Trigram x={6.5} y={15.5} turn={56.3} broken={[true, false, true]} />
  </>
);

const Australia = () => (
  <>
    <rect width={30} height={20} fill="#012169" />
    <g>
      <path d="M0,0 L15,10 M15,0 L0,10" stroke="#FFFFFF" strokeWidth={2} />
      <path d="M0,0 L15,10 M15,0 L0,10" stroke="#C8102E" strokeWidth={0.7} />
      <path d="M7.5,0 V10 M0,5 H15" stroke="#FFFFFF" strokeWidth={3.2} />
      <path d="M7.5,0 V10 M0,5 H15" stroke="#C8102E" strokeWidth={1.9} />
    </g>
    <g fill="#FFFFFF">
      <polygon points={star(7.5, 15, 3, 1.3, 7)} />
      <polygon points={star(22.5, 16.8, 1.3, 0.55, 7)} />
      <polygon points={star(18.5, 9, 1.3, 0.55, 7)} />
      <polygon points={star(22.5, 3.3, 1.3, 0.55, 7)} />
      <polygon points={star(26.5, 7.8, 1.3, 0.55, 7)} />
      <polygon points={star(24.4, 11.3, 0.7, 0.3)} />
    </g>
  </>
);

const stalkAngles = Array.from({ length: 10 }, (_, i) => ((i - 4.5) * 8 * Math.PI) / 180);

/** The ASEAN emblem: ten yellow padi stalks on red, ringed in white and blue, on the ASEAN blue. */
const AseanEmblem = () => (
  <>
    <rect width={30} height={20} fill="#0039A6" />
    <circle cx={15} cy={10} r={8.2} fill="#FFFFFF" />
    <circle cx={15} cy={10} r={7.3} fill="#CE1126" />
    <g stroke="#FFD100" strokeWidth={0.45} fill="#FFD100">
      {stalkAngles.map((angle) => {
        const tipX = 15 + 5.6 * Math.sin(angle);
        const tipY = 15.3 - 5.6 * Math.cos(angle) * 1.55;
        return (
          <g key={angle}>
            <line x1={15} y1={15.4} x2={tipX} y2={tipY + 1.2} />
            <ellipse
              cx={tipX}
              cy={tipY}
              rx={0.5}
              ry={1.5}
              transform={`rotate(${(angle * 180) / Math.PI} ${tipX} ${tipY})`}
            />
          </g>
        );
      })}
    </g>
  </>
);

/** Keyed by ISO 3166-1 alpha-2, and by delegation code for organisations without a flag. */
export const drawings: Readonly<Record<string, () => ReactElement>> = {
  BN: Brunei,
  KH: Cambodia,
  ID: Indonesia,
  LA: Laos,
  MY: Malaysia,
  MM: Myanmar,
  PH: Philippines,
  SG: Singapore,
  TH: Thailand,
  VN: VietNam,
  CN: China,
  JP: Japan,
  KR: Korea,
  AU: Australia,
  ASEC: AseanEmblem,
};
