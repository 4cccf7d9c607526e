import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every schema imports z from here, so `.openapi()` exists wherever a schema is defined.
extendZodWithOpenApi(z);
export { z };
