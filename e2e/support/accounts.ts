/** Demo accounts of the simulator (docs/pbx-sim.md). */
export interface Account {
  username: string;
  password: string;
}

export const OPERATOR: Account = { username: 'operator', password: 'operator' };
