/** The Banking77 out-of-scope split of bench/intent-eval.ts (also used by other benchmarks). */

/** Banking77 intents never trained on: their test rows are the out-of-scope test rows (every 8th intent in sorted order from the 4th). */
export const OOS_UNSEEN = [
  'apple_pay_or_google_pay',
  'card_acceptance',
  'card_swallowed',
  'declined_cash_withdrawal',
  'extra_charge_on_statement',
  'lost_or_stolen_phone',
  'receiving_money',
  'top_up_failed',
  'transfer_timing',
  'wrong_amount_of_cash_received',
];
/** Banking77 intents whose train rows (only) join the out-of-scope class (every 16th from the 8th). */
export const OOS_KNOWN = ['balance_not_updated_after_cheque_or_cash_deposit', 'compromised_card', 'get_physical_card', 'terminate_account', 'verify_top_up'];
