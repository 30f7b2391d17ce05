import { STORE_CA_DIR, STORE_CA_FILE } from "../kubernetes/managedStoreCredentials";

/** Where the pods find the CA bundle a cloud platform handed over with its stores. */
export const MANAGED_STORE_CA_FILE = `${STORE_CA_DIR}/${STORE_CA_FILE}`;
