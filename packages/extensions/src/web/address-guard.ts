import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (the system resolver by default; tests pass their own). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * Addresses a fetch on the model's behalf must not reach unless the person
 * listed the host: loopback, private networks, link-local (cloud metadata
 * services live at 169.254.169.254), carrier-grade NAT, documentation,
 * multicast and reserved ranges. IPv4-mapped IPv6 addresses match the IPv4
 * rules.
 */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  const v4: [string, number][] = [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.0.2.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ];
  const v6: [string, number][] = [
    ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible form
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
    ["2001:db8::", 32],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, "ipv4");
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, "ipv6");
  return list;
})();

/** True for an IP address on the public internet; false for local, private and reserved ones (and non-addresses). */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 0) return false;
  return !NOT_PUBLIC.check(address, version === 4 ? "ipv4" : "ipv6");
}

/** A host that resolved to an address the fetch may not reach. */
export class PrivateAddressError extends Error {
  override readonly name = "PrivateAddressError";
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a local or private address`);
  }
}

/**
 * The DNS lookup a fetch's socket uses: it resolves the name, refuses it when
 * any of its addresses is not public (unless `mayReachPrivate(host)`), and
 * hands the socket exactly the addresses it checked. Check and connect use one
 * resolution, so a name that re-resolves between them (DNS rebinding) cannot
 * slip a private address past the check.
 */
export function guardedLookup(
  mayReachPrivate: (host: string) => boolean,
  resolve: HostResolver = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = wanted ? found.filter((entry) => entry.family === wanted) : found;
        const first = usable[0];
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          error.code = "ENOTFOUND";
          callback(error, "", 0);
          return;
        }
        const refused = mayReachPrivate(hostname)
          ? undefined
          : found.find((entry) => !isPublicAddress(entry.address));
        if (refused) callback(new PrivateAddressError(hostname, refused.address), "", 0);
        else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}
