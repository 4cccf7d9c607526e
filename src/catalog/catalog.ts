import { ForbiddenError } from '@casl/ability';
import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { AppError, notFound } from '../shared/errors';
import { updateReturning } from '../db/tx';
import { productJson, type CreateProductBody, type ProductRow, type UpdateProductBody } from './product.schema';

/** The vendor's product catalog (R15): the platform admin manages it, everyone reads it. */
const COLUMNS = 'code, name, category, refundable, excluded_from_general, marketplace';

export async function listProducts(ctx: Ctx) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'Product');
  const rows: ProductRow[] = await ctx.ds.query(`SELECT ${COLUMNS} FROM products ORDER BY code`);
  return { items: rows.map(productJson) };
}

export async function getProduct(ctx: Ctx, code: string) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('read', 'Product');
  const [row]: ProductRow[] = await ctx.ds.query(`SELECT ${COLUMNS} FROM products WHERE code = $1`, [code]);
  if (!row) throw notFound('product');
  return productJson(row);
}

export async function createProduct(ctx: Ctx, b: z.output<typeof CreateProductBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('create', 'Product');
  const rows: ProductRow[] = await ctx.ds.query(
    `INSERT INTO products (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
    [b.code, b.name, b.category, b.refundable, b.excludedFromGeneral, b.marketplace],
  );
  if (!rows[0]) throw new AppError('already_exists', `product ${b.code} already exists`);
  return productJson(rows[0]);
}

export async function updateProduct(ctx: Ctx, code: string, b: z.output<typeof UpdateProductBody>) {
  ForbiddenError.from(ctx.ability).throwUnlessCan('update', 'Product');
  const rows = await updateReturning<ProductRow>(ctx.ds,
    `UPDATE products SET name = coalesce($2, name), category = coalesce($3, category), refundable = coalesce($4, refundable),
            excluded_from_general = coalesce($5, excluded_from_general), marketplace = coalesce($6, marketplace), updated_at = now()
      WHERE code = $1 RETURNING ${COLUMNS}`,
    [code, b.name ?? null, b.category ?? null, b.refundable ?? null, b.excludedFromGeneral ?? null, b.marketplace ?? null],
  );
  if (!rows[0]) throw notFound('product');
  return productJson(rows[0]);
}

/** Codes among `codes` that the catalog does not have. */
export async function unknownProducts(ctx: Pick<Ctx, 'ds'>, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows: { code: string }[] = await ctx.ds.query(
    `SELECT c AS code FROM unnest($1::text[]) c WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.code = c)`,
    [codes],
  );
  return rows.map((r) => r.code);
}
