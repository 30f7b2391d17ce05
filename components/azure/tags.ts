/** Azure refuses a tag name with any of these characters, and a resource with more than 50 tags. */
const FORBIDDEN_TAG_NAME_CHARACTERS = /[<>%&\\?/]/;
const MAX_TAGS = 50;
const MAX_TAG_NAME_LENGTH = 512;
const MAX_TAG_VALUE_LENGTH = 256;

/**
 * The caller's tags, checked against Azure's limits. Azure only rejects a bad tag when it writes the
 * resource, which can be halfway through a deployment; checking here fails before anything is created.
 * Unlike AWS, nothing is added: an Azure resource's name already labels it in the portal.
 */
export function azureTags(tags: Record<string, string>): Record<string, string> {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) throw new Error(`Azure allows at most ${MAX_TAGS} tags on a resource; given ${entries.length}`);
  for (const [name, value] of entries) {
    if (name.length === 0 || name.length > MAX_TAG_NAME_LENGTH || FORBIDDEN_TAG_NAME_CHARACTERS.test(name)) {
      throw new Error(`tag name "${name}" is not valid on Azure: use 1 to ${MAX_TAG_NAME_LENGTH} characters and none of < > % & \\ ? /`);
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) throw new Error(`tag "${name}" has a value longer than Azure's ${MAX_TAG_VALUE_LENGTH} characters`);
  }
  return { ...tags };
}
