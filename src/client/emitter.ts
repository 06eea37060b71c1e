/** A small typed event emitter that runs in Node and in browsers alike. */
export class Emitter<Events extends Record<string, unknown>> {
  private listeners: { [K in keyof Events]?: Array<(event: Events[K]) => void> } = {};

  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void {
    (this.listeners[type] ??= []).push(listener);
    return () => {
      this.listeners[type] = this.listeners[type]?.filter((l) => l !== listener);
    };
  }

  once<K extends keyof Events>(type: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(type, (event) => {
        off();
        resolve(event);
      });
    });
  }

  protected emit<K extends keyof Events>(type: K, event: Events[K]): void {
    for (const listener of this.listeners[type] ?? []) listener(event);
  }
}
