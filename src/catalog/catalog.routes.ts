import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../http/route';
import { createProduct, getProduct, listProducts, updateProduct } from './catalog';
import { CodeParams, CreateProductBody, ProductJson, ProductList, UpdateProductBody } from './product.schema';

const tags = ['Catalog'];

export function catalogRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'get', path: '/v1/products', tags, summary: 'The product catalog', errors: [], response: ProductList,
    handler: (ctx) => listProducts(ctx),
  });
  route(r, ds, {
    method: 'get', path: '/v1/products/:code', tags, summary: 'One product', errors: [404],
    params: CodeParams, response: ProductJson, handler: (ctx, { params }) => getProduct(ctx, params.code),
  });
  route(r, ds, {
    method: 'post', path: '/v1/products', tags, status: 201, summary: 'Add a product (platform admin)', errors: [403, 409],
    body: CreateProductBody, response: ProductJson, handler: (ctx, { body }) => createProduct(ctx, body),
  });
  route(r, ds, {
    method: 'patch', path: '/v1/products/:code', tags, summary: 'Change a product (platform admin)', errors: [403, 404],
    params: CodeParams, body: UpdateProductBody, response: ProductJson,
    handler: (ctx, { params, body }) => updateProduct(ctx, params.code, body),
  });
}
