import { startHarness, stopHarness } from '../support/harness';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startHarness();
  },
  async afterAll() {
    await stopHarness();
  },
};
