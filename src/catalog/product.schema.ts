import { z } from '../shared/zod';
import { Name } from '../shared/schemas';

export const ProductCode = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, _ . -');
export const CodeParams = z.strictObject({ code: ProductCode });

export const CreateProductBody = z
  .strictObject({
    code: ProductCode,
    name: Name,
    category: z.string().trim().min(1).max(100),
    refundable: z.boolean().default(true),
    excludedFromGeneral: z.boolean().default(false).describe('General coupons never apply to it (R15)'),
    marketplace: z.boolean().default(false).describe('A third-party product: no general coupon applies (R15)'),
  })
  .openapi('CreateProduct');
export const UpdateProductBody = z
  .strictObject({
    name: Name.optional(),
    category: z.string().trim().min(1).max(100).optional(),
    refundable: z.boolean().optional(),
    excludedFromGeneral: z.boolean().optional(),
    marketplace: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to update')
  .openapi('UpdateProduct');

export const ProductJson = z
  .object({
    code: z.string(),
    name: z.string(),
    category: z.string(),
    refundable: z.boolean(),
    excludedFromGeneral: z.boolean(),
    marketplace: z.boolean(),
  })
  .openapi('Product');
export const ProductList = z.object({ items: z.array(ProductJson) }).openapi('ProductList');

export interface ProductRow {
  code: string;
  name: string;
  category: string;
  refundable: boolean;
  excluded_from_general: boolean;
  marketplace: boolean;
}
export const productJson = (p: ProductRow): z.infer<typeof ProductJson> => ({
  code: p.code,
  name: p.name,
  category: p.category,
  refundable: p.refundable,
  excludedFromGeneral: p.excluded_from_general,
  marketplace: p.marketplace,
});
