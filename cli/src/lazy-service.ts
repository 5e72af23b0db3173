import { serviceDispatcher, type Dispatcher, type Logger, type Service } from '@stratus/shared';

/**
 * A service that is created on its first call, or when `start()` is called (embedded mode starts every
 * service in the background once the gateway listens). Its code, and the replay of its data directory,
 * then never delay the first answer, however many services Stratus has.
 */
export class LazyService {
  private service?: Promise<Service>;
  private dispatcher: Dispatcher = async (operation, input, ctx) => {
    await this.start();
    return this.dispatcher(operation, input, ctx);
  };

  constructor(
    private readonly create: () => Promise<Service>,
    private readonly logger: Logger,
  ) {}

  /** What the bus serves: the real dispatcher once the service exists. */
  readonly dispatch: Dispatcher = (operation, input, ctx) => this.dispatcher(operation, input, ctx);

  start(): Promise<Service> {
    return (this.service ??= this.create().then((service) => {
      this.dispatcher = serviceDispatcher(service, this.logger);
      return service;
    }));
  }

  async close(): Promise<void> {
    if (this.service) await (await this.service.catch(() => undefined))?.close();
  }
}
