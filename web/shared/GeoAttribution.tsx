// DB-IP's licence (CC BY 4.0) asks for a visible credit wherever a location it gave is shown.

/** "IP Geolocation by DB-IP", linked, in small muted type under the locations it credits. */
export function GeoAttribution() {
  return (
    <p className="small muted geo-attribution">
      Locations: <a href="https://db-ip.com">IP Geolocation by DB-IP</a>
    </p>
  );
}
