import { ApiClient, ApiError } from './api-client';

function answering(status: number, body: unknown) {
  const calls: Array<{ input: string; init?: RequestInit }> = [];
  const fetchImpl = async (input: string, init?: RequestInit) => {
    calls.push({ input, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { calls, fetchImpl };
}

describe("the page's API client", () => {
  it('sends the bearer token to /api/v1 on the same origin and reads JSON', async () => {
    const { calls, fetchImpl } = answering(200, { id: 'u1' });
    expect(await new ApiClient('awk_t', undefined, fetchImpl).put('/users/me', { name: 'x' })).toEqual({ id: 'u1' });
    expect(calls[0].input).toBe('/api/v1/users/me');
    expect(calls[0].init).toMatchObject({
      method: 'PUT',
      body: '{"name":"x"}',
      credentials: 'omit',
      headers: { Authorization: 'Bearer awk_t', 'Content-Type': 'application/json' },
    });
  });

  it("reads Nest's error message, joining a list of validation messages", async () => {
    const { fetchImpl } = answering(400, { statusCode: 400, message: ['endOn must be a date', 'startOn missing'] });
    await expect(new ApiClient('t', undefined, fetchImpl).get('/absences')).rejects.toEqual(
      new ApiError(400, 'endOn must be a date; startOn missing'),
    );
  });

  it('tells a route this server lacks (issue 15, not merged) from a missing record', () => {
    expect(new ApiError(404, 'Cannot GET /api/v1/integrations/personio/duplicates').missingRoute).toBe(true);
    expect(new ApiError(404, 'Personio is not connected for this workspace').missingRoute).toBe(false);
    expect(new ApiError(400, 'Cannot GET /x').missingRoute).toBe(false);
  });

  it('signs the page out on 401', async () => {
    const { fetchImpl } = answering(401, { statusCode: 401, message: 'Unauthorized' });
    const signedOut = jest.fn();
    await expect(new ApiClient('t', signedOut, fetchImpl).get('/users/me')).rejects.toMatchObject({ status: 401 });
    expect(signedOut).toHaveBeenCalledTimes(1);
  });

  it('answers 204 with nothing', async () => {
    const { fetchImpl } = answering(204, undefined);
    await expect(new ApiClient('t', undefined, fetchImpl).delete('/absences/a')).resolves.toBeNull();
  });
});
