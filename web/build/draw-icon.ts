// Draws the Authenticator's app icon as a PNG at any size: a white check mark on a calm blue square.
import pngjs from 'pngjs';

const BACKGROUND = [0x1d, 0x4e, 0x89] as const;
const FOREGROUND = [0xff, 0xff, 0xff] as const;
// The check mark as fractions of the size, inside the maskable safe zone (the middle 80 %, W3C Manifest §icons).
const STROKE: Array<[number, number]> = [
  [0.3, 0.52],
  [0.44, 0.66],
  [0.72, 0.36],
];
const THICKNESS = 0.075;

function distanceToSegment(px: number, py: number, a: [number, number], b: [number, number]): number {
  const [ax, ay] = a;
  const [bx, by] = b;
  const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / lengthSquared));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

/** A square PNG icon of `size` pixels (full-bleed background, so it also serves as a maskable icon). */
export function drawIcon(size: number): Buffer {
  const png = new pngjs.PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) / size;
      const py = (y + 0.5) / size;
      let distance = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < STROKE.length; i++) {
        distance = Math.min(distance, distanceToSegment(px, py, STROKE[i]!, STROKE[i + 1]!));
      }
      // One pixel of anti-aliasing at the stroke's edge.
      const cover = Math.max(0, Math.min(1, (THICKNESS / 2 - distance) * size + 0.5));
      const offset = (y * size + x) * 4;
      for (let channel = 0; channel < 3; channel++) {
        png.data[offset + channel] = Math.round(
          BACKGROUND[channel]! * (1 - cover) + FOREGROUND[channel]! * cover,
        );
      }
      png.data[offset + 3] = 255;
    }
  }
  return pngjs.PNG.sync.write(png);
}
