import { z } from "zod";

/**
 * IPv4 network blocks: those the config names (who may reach something, address spaces), read and
 * compared the same way by config and by the networks the platforms build.
 */

export interface Ipv4Block {
  /** The first address, as a number. */
  base: number;
  prefix: number;
}

export function parseIpv4Block(text: string): Ipv4Block | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  return { base: octets.reduce((address, octet) => address * 256 + octet, 0), prefix };
}

/** Parses an IPv4 CIDR block; `what` names it in the error. */
export function parseCidr(cidr: string, what = "CIDR block"): Ipv4Block {
  const block = parseIpv4Block(cidr);
  if (!block) throw new Error(`${what} "${cidr}" is not an IPv4 CIDR block such as 10.50.0.0/16`);
  return block;
}

/** How many addresses a block holds. */
export const blockSize = (block: Ipv4Block) => 2 ** (32 - block.prefix);
const hasHostBits = (block: Ipv4Block) => block.base % blockSize(block) !== 0;

function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.base < b.base + blockSize(b) && b.base < a.base + blockSize(a);
}

/** Whether two IPv4 CIDR blocks share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  return overlaps(parseCidr(a), parseCidr(b));
}

export function toDottedQuad(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** The whole IPv4 internet. */
export const isOpenToAll = (text: string) => parseIpv4Block(text)?.prefix === 0;

/**
 * Ranges no connection from the internet comes from: EKS refuses "reserved addresses" in a public
 * endpoint's CIDRs, and a private range there is a mistake for a network inside or routed to the VPC.
 */
const NOT_INTERNET_SOURCES: [string, string][] = [
  ["0.0.0.0/8", "\"this network\""],
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["100.64.0.0/10", "carrier-grade NAT (RFC 6598)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["224.0.0.0/3", "multicast or reserved"],
];

/** Why a block can never be where a connection from the internet comes from, if it cannot. */
export function notAnInternetSource(text: string): string | undefined {
  const block = parseIpv4Block(text);
  if (!block || block.prefix === 0) return undefined;
  for (const [range, what] of NOT_INTERNET_SOURCES) {
    if (overlaps(block, parseIpv4Block(range)!)) return `${range} is ${what}`;
  }
  return undefined;
}

/** An IPv4 network block: four octets, a prefix up to 32 and no host bits set. */
export const ipv4Network = z
  .string()
  .refine((text) => parseIpv4Block(text) !== undefined, { message: "must be an IPv4 CIDR block such as 203.0.113.0/24" })
  .refine((text) => !hasHostBits(parseIpv4Block(text) ?? { base: 0, prefix: 0 }), {
    message: "must not set host bits: name the network (198.51.100.7/24 is 198.51.100.0/24; one address is /32)",
  });

/** True when a list names each block at most once. */
export const distinct = (blocks: string[]) => new Set(blocks).size === blocks.length;
