import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './create-test-app.js';
import { uniqueEmail } from './persistence-harness.js';

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: LightMyRequestResponse['headers'];
  readonly body: {
    code: number;
    message: string;
    data: T;
    traceId: string;
    errors?: { field: string; message: string }[];
  };
  readonly raw: LightMyRequestResponse;
}

export interface Session {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** A consumer's view of the API: JSON in, envelope out. */
export class ApiClient {
  /** `remoteAddress`: the client IP of requests that name none (rate limits count per IP). */
  constructor(
    private readonly testApp: TestApp,
    private readonly defaults: { remoteAddress?: string } = {},
  ) {}

  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string>; remoteAddress?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const raw = await this.testApp.request({
      method,
      url,
      headers,
      remoteAddress: options.remoteAddress ?? this.defaults.remoteAddress,
      payload:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const body = raw.body === '' ? undefined : (JSON.parse(raw.body) as ApiResponse<T>['body']);
    return { status: raw.statusCode, headers: raw.headers, body: body as ApiResponse<T>['body'], raw };
  }

  uniqueEmail(label = 'user'): string {
    return uniqueEmail(label);
  }

  async register(
    email = this.uniqueEmail(),
    password = 'password-1234',
    displayName = 'Test User',
  ): Promise<ApiResponse> {
    return this.call('POST', '/api/v1/auth/register', { body: { email, password, displayName } });
  }

  async login(
    email: string,
    password: string,
  ): Promise<ApiResponse<{ accessToken: string; refreshToken: string; tokenType: string; expiresIn: number }>> {
    return this.call('POST', '/api/v1/auth/login', { body: { email, password } });
  }

  /** Registers a fresh customer and logs in. */
  async newCustomer(password = 'password-1234'): Promise<Session> {
    const email = this.uniqueEmail();
    const registered = await this.register(email, password);
    if (registered.status !== 201) throw new Error(`register failed: ${registered.raw.body}`);
    return this.sessionFor(email, password, registered.body.data.id as string);
  }

  async sessionFor(email: string, password: string, userId?: string): Promise<Session> {
    const login = await this.login(email, password);
    if (login.status !== 200) throw new Error(`login failed: ${login.raw.body}`);
    const me =
      userId ??
      ((await this.call('GET', '/api/v1/users/me', { token: login.body.data.accessToken })).body.data.id as string);
    return {
      userId: me,
      email,
      password,
      accessToken: login.body.data.accessToken,
      refreshToken: login.body.data.refreshToken,
    };
  }

  adminSession(): Promise<Session> {
    return this.sessionFor(this.testApp.admin.email, this.testApp.admin.password);
  }
}
