// The Node device client's public surface: activation, the client, and the account files.
export { type DeviceAccount, type PrivateJwk, publicView } from './account.ts';
export { accountPath, listAccounts, loadAccount, saveAccount } from './account-file.ts';
export { type ActivateOptions, activateDevice } from './activate.ts';
export { createDeviceClient, type DeviceClient, type DeviceClientOptions, signAnswer } from './client.ts';
export { DeviceApiError, DeviceInputError } from './errors.ts';
