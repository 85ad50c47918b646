// Where a sign-in came from: the core asks a Locator (GeoIP lives outside the core, src/geoip/).

/** A place as Duo's logs write it (`access_device.location`); a field is '' when the database does not say. */
export interface Location {
  city: string;
  state: string;
  country: string;
}

/** Finds where a public IP address is; null for a private, loopback or unknown address, or when switched off. */
export interface Locator {
  locate(ip: string | null): Promise<Location | null>;
}

/** The location in one line for people: "Mountain View, California, United States". */
export function locationText(location: Location | null): string | null {
  if (location === null) return null;
  const parts = [location.city, location.state, location.country].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}
