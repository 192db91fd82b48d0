export { FAKE_MANAGER, fake, fakeTransactions } from './fake';
