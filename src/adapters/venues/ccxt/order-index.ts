/**
 * Remembers which symbol an order id / client order id belongs to: most venues need the symbol to query, amend or
 * cancel an order, and the Venue port passes only ids. Bounded; after a restart the venue scans configured symbols.
 */
export class OrderIndex {
  private readonly byOrder = new Map<string, string>();
  private readonly byClient = new Map<string, string>();
  private readonly leverages = new Map<string, number>();

  constructor(private readonly capacity = 5_000) {}

  rememberClient(clientOrderId: string, symbol: string): void {
    put(this.byClient, clientOrderId, symbol, this.capacity);
  }

  rememberOrder(orderId: string, symbol: string): void {
    put(this.byOrder, orderId, symbol, this.capacity);
  }

  symbolOfClient(clientOrderId: string): string | undefined {
    return this.byClient.get(clientOrderId);
  }

  symbolOfOrder(orderId: string): string | undefined {
    return this.byOrder.get(orderId);
  }

  /** Every symbol an order was seen on, most recent last. */
  symbols(): string[] {
    return [...new Set([...this.byClient.values(), ...this.byOrder.values()])];
  }

  leverage(symbol: string): number | undefined {
    return this.leverages.get(symbol);
  }

  rememberLeverage(symbol: string, leverage: number): void {
    this.leverages.set(symbol, leverage);
  }
}

function put(map: Map<string, string>, key: string, value: string, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) map.delete(map.keys().next().value as string);
}
