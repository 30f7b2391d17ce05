/** What the synth writes in place of a secret value, in its artifacts and in config.json. */
export const SECRET_PLACEHOLDER = "[secret]";
