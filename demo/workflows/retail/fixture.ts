/**
 * A small hand-written retail database in tau-bench's shapes (invented people, ids and prices), used by
 * the demo and the tests. `loadTauBenchData()` loads the full tau-bench database instead.
 *
 * Cheat sheet:
 * - ava_lee_1234 (ava.lee@example.com, 10001): credit_card_1111111 (visa 4242), gift_card_2222222 ($60)
 *   #W0000001 pending · #W0000002 delivered · #W0000003 processed
 * - ava_lee_7788 (ava.lee88@example.com, 98101): a namesake, paypal_9999999, no orders
 * - ben_carter_5678 (ben.carter@example.com, 94110): paypal_3333333, gift_card_4444444 ($10)
 *   #W0000004 pending · #W0000005 delivered (two identical t-shirts)
 * - chloe_nguyen_9012 (chloe.nguyen@example.com, 78701): credit_card_5555555 (mastercard 5100), paypal_6666666
 *   #W0000006 cancelled · #W0000007 delivered
 * - diego_santos_3456 (diego.santos@example.com, 60601): gift_card_7777777 ($250), credit_card_8888888 (amex 1005)
 *   #W0000008 pending, paid by gift card
 */
import type { Address, OrderItem, OrderRecord, PaymentMethod, ProductRecord, RetailData, UserRecord, Variant } from './types.ts';

/** Product ids. */
export const TSHIRT = '7311045892';
export const WATER_BOTTLE = '2208451937';
export const EARBUDS = '9054172386';
export const DESK_LAMP = '5540392817';
export const RUNNING_SHOES = '1187326540';

function product(name: string, product_id: string, variants: Variant[]): ProductRecord {
  return { name, product_id, variants: Object.fromEntries(variants.map((v) => [v.item_id, v])) };
}
const v = (item_id: string, options: Record<string, string>, price: number, available = true): Variant => ({ item_id, options, price, available });

function products(): ProductRecord[] {
  return [
    product('T-Shirt', TSHIRT, [
      v('4172905831', { color: 'blue', size: 'M', material: 'cotton' }, 50),
      v('6618203947', { color: 'red', size: 'M', material: 'cotton' }, 52),
      v('2947716053', { color: 'red', size: 'L', material: 'cotton' }, 53, false),
      v('8830412265', { color: 'black', size: 'S', material: 'polyester' }, 49),
    ]),
    product('Water Bottle', WATER_BOTTLE, [
      v('3385019274', { capacity: '500ml', material: 'stainless steel', color: 'blue' }, 25),
      v('9150283746', { capacity: '1000ml', material: 'glass', color: 'black' }, 32.5),
      v('1704638825', { capacity: '750ml', material: 'plastic', color: 'green' }, 20, false),
    ]),
    product('Wireless Earbuds', EARBUDS, [
      v('6202837415', { color: 'black', 'battery life': '8 hours', 'water resistance': 'IPX4' }, 129.99),
      v('3519064782', { color: 'white', 'battery life': '8 hours', 'water resistance': 'IPX4' }, 129.99, false),
      v('7481920356', { color: 'blue', 'battery life': '10 hours', 'water resistance': 'IPX7' }, 149.99),
    ]),
    product('Desk Lamp', DESK_LAMP, [
      v('1836472059', { color: 'white', brightness: 'high', 'power source': 'USB' }, 45),
      v('8063915724', { color: 'black', brightness: 'high', 'power source': 'USB' }, 47),
      v('2675104398', { color: 'silver', brightness: 'medium', 'power source': 'battery' }, 39, false),
    ]),
    product('Running Shoes', RUNNING_SHOES, [
      v('9421765083', { size: '9', color: 'black', material: 'mesh' }, 89.99),
      v('5037281946', { size: '10', color: 'black', material: 'mesh' }, 89.99),
      v('6894013572', { size: '10', color: 'white', material: 'leather' }, 94.99, false),
    ]),
  ];
}

const address = (address1: string, address2: string, city: string, state: string, zip: string): Address => ({ address1, address2, city, country: 'USA', state, zip });

function user(first_name: string, last_name: string, email: string, addr: Address, methods: PaymentMethod[], orders: string[]): UserRecord {
  return { name: { first_name, last_name }, address: addr, email, payment_methods: Object.fromEntries(methods.map((m) => [m.id, m])), orders };
}

function users(): Record<string, UserRecord> {
  return {
    ava_lee_1234: user('Ava', 'Lee', 'ava.lee@example.com', address('12 Orchard Street', 'Apt 4B', 'New York', 'NY', '10001'), [
      { source: 'credit_card', id: 'credit_card_1111111', brand: 'visa', last_four: '4242' },
      { source: 'gift_card', id: 'gift_card_2222222', balance: 60 },
    ], ['#W0000001', '#W0000002', '#W0000003']),
    ava_lee_7788: user('Ava', 'Lee', 'ava.lee88@example.com', address('901 Pine Street', '', 'Seattle', 'WA', '98101'), [{ source: 'paypal', id: 'paypal_9999999' }], []),
    ben_carter_5678: user('Ben', 'Carter', 'ben.carter@example.com', address('480 Valencia Street', '', 'San Francisco', 'CA', '94110'), [
      { source: 'paypal', id: 'paypal_3333333' },
      { source: 'gift_card', id: 'gift_card_4444444', balance: 10 },
    ], ['#W0000004', '#W0000005']),
    chloe_nguyen_9012: user('Chloe', 'Nguyen', 'chloe.nguyen@example.com', address('7 Congress Avenue', 'Suite 210', 'Austin', 'TX', '78701'), [
      { source: 'credit_card', id: 'credit_card_5555555', brand: 'mastercard', last_four: '5100' },
      { source: 'paypal', id: 'paypal_6666666' },
    ], ['#W0000006', '#W0000007']),
    diego_santos_3456: user('Diego', 'Santos', 'diego.santos@example.com', address('233 Lake Shore Drive', 'Unit 12', 'Chicago', 'IL', '60601'), [
      { source: 'gift_card', id: 'gift_card_7777777', balance: 250 },
      { source: 'credit_card', id: 'credit_card_8888888', brand: 'amex', last_four: '1005' },
    ], ['#W0000008']),
  };
}

function orders(catalog: ProductRecord[], people: Record<string, UserRecord>): OrderRecord[] {
  const byItem = new Map(catalog.flatMap((p) => Object.values(p.variants).map((x) => [x.item_id, { p, x }] as const)));
  const item = (id: string): OrderItem => {
    const { p, x } = byItem.get(id)!;
    return { name: p.name, product_id: p.product_id, item_id: id, price: x.price, options: { ...x.options } };
  };
  const order = (order_id: string, user_id: string, status: string, itemIds: string[], paidWith: string, tracking?: string): OrderRecord => {
    const items = itemIds.map(item);
    const total = Math.round(items.reduce((s, i) => s + i.price, 0) * 100) / 100;
    return {
      order_id,
      user_id,
      address: { ...people[user_id].address },
      items,
      fulfillments: tracking ? [{ tracking_id: [tracking], item_ids: [...itemIds] }] : [],
      status,
      payment_history: [
        { transaction_type: 'payment', amount: total, payment_method_id: paidWith },
        ...(status === 'cancelled' ? [{ transaction_type: 'refund' as const, amount: total, payment_method_id: paidWith }] : []),
      ],
    };
  };
  return [
    order('#W0000001', 'ava_lee_1234', 'pending', ['4172905831', '3385019274'], 'credit_card_1111111'),
    order('#W0000002', 'ava_lee_1234', 'delivered', ['6202837415', '1836472059'], 'credit_card_1111111', '100200300401'),
    order('#W0000003', 'ava_lee_1234', 'processed', ['9421765083'], 'gift_card_2222222', '100200300402'),
    order('#W0000004', 'ben_carter_5678', 'pending', ['8063915724'], 'paypal_3333333'),
    order('#W0000005', 'ben_carter_5678', 'delivered', ['6618203947', '6618203947', '5037281946'], 'paypal_3333333', '100200300403'),
    order('#W0000006', 'chloe_nguyen_9012', 'cancelled', ['9150283746'], 'credit_card_5555555'),
    order('#W0000007', 'chloe_nguyen_9012', 'delivered', ['7481920356'], 'credit_card_5555555', '100200300404'),
    order('#W0000008', 'diego_santos_3456', 'pending', ['8830412265', '6202837415'], 'gift_card_7777777'),
  ];
}

/** A fresh copy of the fixture database (safe to mutate). */
export function fixtureData(): RetailData {
  const catalog = products();
  const people = users();
  return {
    users: people,
    orders: Object.fromEntries(orders(catalog, people).map((o) => [o.order_id, o])),
    products: Object.fromEntries(catalog.map((p) => [p.product_id, p])),
  };
}
