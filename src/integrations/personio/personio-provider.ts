/** The `externalProvider` of every absence this integration transfers. */
export const PERSONIO_PROVIDER = 'personio';
