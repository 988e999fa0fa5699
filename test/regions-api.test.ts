import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { districts, provinces, regencies } from '../src/regions/store.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { type FreshDatabase, freshDatabase, openTestContext } from './helpers/engines.ts';

// The regions come from the package data, not the database: one engine is enough.
describe('GET /api/v1/regions', () => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  beforeAll(async () => {
    fresh = await freshDatabase('sqlite');
    opened = await openTestContext(fresh);
    app = await buildServer(opened.ctx);
  });
  afterAll(async () => {
    await app?.close();
    await opened?.handle.close();
    await fresh?.cleanup();
  });

  const get = (query = '') => app.inject({ method: 'GET', url: `/api/v1/regions${query}` });

  it('lists the provinces to anyone, cacheable for a day and without a cookie', async () => {
    const response = await get();
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    expect(response.headers['set-cookie']).toBeUndefined();
    const { items } = response.json<{ items: { code: string; name: string }[] }>();
    expect(items).toHaveLength(provinces().length);
    expect(items).toContainEqual({ code: '33', name: 'Jawa Tengah' });
  });

  it('lists the children of a province, a regency and a district, dotted or as digits', async () => {
    const regencyList = (await get('?parent=33')).json<{ items: { code: string }[] }>().items;
    expect(regencyList.map((r) => r.code)).toEqual(regencies('33').map((r) => r.code));
    expect(regencyList).toContainEqual({ code: '33.73', name: 'Kota Salatiga' });
    const districtList = (await get('?parent=3373')).json<{ items: { code: string }[] }>().items;
    expect(districtList.map((r) => r.code)).toEqual(districts('33.73').map((r) => r.code));
    const villageList = (await get('?parent=33.73.04')).json<{ items: { code: string; name: string }[] }>();
    expect(villageList.items).toContainEqual({ code: '33.73.04.1001', name: 'Kecandran' });
  });

  it('answers 404 JSON for a parent that does not exist', async () => {
    const response = await get('?parent=99');
    expect(response.statusCode).toBe(404);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('not_found');
    expect((await get('?parent=33.99.99')).statusCode).toBe(404);
    expect((await get('?parent=33.7304')).statusCode).toBe(404);
  });

  it('refuses a malformed code with 400, never 500', async () => {
    for (const bad of ['abc', '3', '33.73.04.1001', `${'1'.repeat(40)}`, '%3Cscript%3E', '33..73']) {
      const response = await get(`?parent=${bad}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code, bad).toBe('request.invalid');
    }
    const twice = await get('?parent=33&parent=34');
    expect([400, 404]).toContain(twice.statusCode);
  });
});
