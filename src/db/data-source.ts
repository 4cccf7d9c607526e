import 'reflect-metadata';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { Partner } from '../tenancy/partners/partner.entity';
import { Account } from '../tenancy/accounts/account.entity';
import { User } from '../tenancy/users/user.entity';
import { ApiToken } from '../auth/tokens/api-token.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { CouponTemplate } from '../templates/template.entity';
import { IssuanceRequest } from '../issuance/issuance-request.entity';
import { Coupon } from '../coupons/coupon.entity';
import { Order } from '../orders/order.entity';
import { Bill } from '../billing/bill.entity';
import { VoucherPool } from '../vouchers/voucher-pool.entity';
import { Fault, FaultAccount } from '../compensation/fault.entity';
import { CompensationClaim } from '../compensation/compensation-claim.entity';

export const entities = [
  Partner, Account, User, ApiToken, AuditEvent, CouponTemplate, IssuanceRequest, Coupon, Order, Bill, VoucherPool, Fault, FaultAccount, CompensationClaim,
];

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: [path.join(__dirname, '..', '..', 'migrations', '*.ts')],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false, // schema comes from migrations only
    logging: false,
    extra: { max: poolSize, application_name: process.env.SERVICE_NAME ?? 'channel-coupons' },
  });
}
