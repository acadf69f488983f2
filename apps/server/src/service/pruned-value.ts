/** The columns a pruned value's version row is left with: its metadata only. */
export const PRUNED_VALUE = {
  key_id: null,
  wrapped_key: null,
  iv: null,
  ciphertext: null,
  auth_tag: null,
  digest: null,
  digest_key_id: null,
} as const;
