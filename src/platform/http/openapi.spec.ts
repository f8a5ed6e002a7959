import { Body, Controller, Get, Post } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { Public } from '../auth/auth.decorators.js';
import { ErrorCatalogModule } from './error-catalog.module.js';
import { ErrorCatalog } from './error-catalog.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from './openapi.decorators.js';
import { createOpenApiDocument, EDGE_CODES } from './openapi.js';

class ParcelRequest {
  @ApiProperty()
  weight: number;
}

@ApiTag('parcels', 'Parcels of a made-up shipping context')
@Controller('api/v1/parcels')
class ParcelsController {
  @Post()
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Send a parcel', description: 'Sends it.' })
  @ApiEnveloped(201, ParcelRequest)
  @ApiErrors(40100, 42260)
  send(@Body() body: ParcelRequest): ParcelRequest {
    return body;
  }

  @Get('tariffs')
  @Public()
  @ApiOperation({ summary: 'Tariffs', description: 'Public price list.' })
  tariffs(): string[] {
    return [];
  }
}

interface Operation {
  security?: unknown[];
  responses: Record<string, { description: string }>;
  'x-error-codes': number[];
  'x-tag-description'?: unknown;
}

describe('the OpenAPI document, assembled from what modules register', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ErrorCatalogModule.forFeature('shipping', { 42260: 'The parcel is too heavy' })],
      controllers: [ParcelsController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ logger: false }));
    await app.init();
  });
  afterAll(() => app.close());

  it('registers every feature into one catalog per application', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ErrorCatalogModule.forFeature('shipping', { 42260: 'The parcel is too heavy' }),
        ErrorCatalogModule.forFeature('billing', { 42270: 'The card was declined' }),
      ],
    }).compile();
    const catalog = moduleRef.get(ErrorCatalog);
    expect([catalog.get(42260)?.owner, catalog.get(42270)?.owner, catalog.get(40000)?.owner]).toEqual([
      'shipping',
      'billing',
      'platform',
    ]);
  });

  it('documents a context’s codes from the catalog: responses by status, x-error-codes, the catalog table', () => {
    const document = createOpenApiDocument(app, app.get(ErrorCatalog));
    const send = document.paths['/api/v1/parcels']?.post as unknown as Operation;
    expect(send['x-error-codes']).toEqual([...new Set([40100, 42260, ...EDGE_CODES])].sort((a, b) => a - b));
    expect(send.responses['422']?.description).toContain('42260 The parcel is too heavy');
    expect(Object.keys(send.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '413', '422', '429', '500', '503']),
    );
    expect(document.info.description).toContain('| 422 | 42260 | The parcel is too heavy |');
  });

  it('writes `security: []` for public operations and declares described tags once', () => {
    const document = createOpenApiDocument(app, app.get(ErrorCatalog));
    const tariffs = document.paths['/api/v1/parcels/tariffs']?.get as unknown as Operation;
    expect(tariffs.security).toEqual([]);
    expect((document.paths['/api/v1/parcels']?.post as unknown as Operation).security).toEqual([{ bearer: [] }]);
    expect(document.tags).toEqual([{ name: 'parcels', description: 'Parcels of a made-up shipping context' }]);
    expect(tariffs['x-tag-description']).toBeUndefined();
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('refuses to start when a route documents a code no module registered', () => {
    expect(() => createOpenApiDocument(app, new ErrorCatalog())).toThrow(
      'POST /api/v1/parcels documents error code 42260, which no module registered',
    );
  });
});
