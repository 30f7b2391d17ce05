/**
 * The caller's tags plus a `Name`, which the AWS console shows as the resource's label; without it
 * a VPC full of subnets and route tables is a list of bare ids. `Name` wins over a caller's own.
 */
export function awsTags(tags: Record<string, string>, name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...tags, ...extra, Name: name };
}
