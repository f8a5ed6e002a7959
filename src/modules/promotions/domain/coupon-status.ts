/** `disabled` refuses the coupon to new orders; orders that already hold it keep it. */
export const COUPON_STATUSES = ['active', 'disabled'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];
