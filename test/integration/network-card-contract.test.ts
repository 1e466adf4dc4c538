/**
 * The network card reaches the renderer through main's output check, explanation included: the
 * test vector's card and a new network's card come back whole from networks:get, the
 * explanation exactly the one stored.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildVectorNetwork, explanationOf, network, openMatrixWorld, type MatrixWorld } from '../helpers/matrix-fixtures';

let w: MatrixWorld;
let vectorId: string;
let newId: string;

beforeAll(() => {
  w = openMatrixWorld('card-contract');
  vectorId = buildVectorNetwork(w).network.id;
  newId = network(w, 'Quiet Crew').id;
});
afterAll(() => w?.close());

describe('networks:get', () => {
  test.each([
    ['the test vector', () => vectorId],
    ['a network with nothing linked', () => newId],
  ])('the card of %s passes the output check with its explanation', async (_name, id) => {
    const r = (await w.call('networks:get', { id: id() })) as { ok: boolean; value?: { explanation: unknown } };
    expect(r.ok).toBe(true);
    expect(r.value!.explanation).toEqual(explanationOf(w.db(), id()));
  });
});
