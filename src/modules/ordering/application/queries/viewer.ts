/** Who reads: customers see their own orders; admins see everyone's. */
export interface OrderViewer {
  readonly id: string;
  readonly isAdmin: boolean;
}
