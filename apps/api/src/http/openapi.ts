import { applyDecorators } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCookieAuth, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** An organiser route in the OpenAPI document: a session cookie or an API token opens it. */
export const OrganiserAuth = () => applyDecorators(ApiBearerAuth(), ApiCookieAuth());

/** The OpenAPI document at /api/docs-json and its explorer at /api/docs. */
export function setupOpenApi(app: NestExpressApplication): void {
  // Built on the first request for it, not at boot: the document is large and few processes serve it.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Assises API')
        .setDescription(
          'JSON API of Assises. Public routes need nothing; organiser routes take a session cookie ' +
            '(POST /api/v1/auth/login) or an API token (Authorization: Bearer asst_…), scoped to one edition and role.',
        )
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API token (asst_…)' })
        .addCookieAuth('assises_session')
        .build(),
    );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
