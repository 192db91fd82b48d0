export { FAKE_MANAGER, fake, fakeTransactions } from './fake';
export { testActor } from './audit-actor';
