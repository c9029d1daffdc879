import { ContainerModule } from 'inversify';
import { HealthRoutes } from './health-routes.js';
import { HttpServer, HttpServerImpl } from './http-server.js';
import { Readiness, ReadinessImpl } from './readiness.js';

export const httpModule = new ContainerModule(({ bind }) => {
  bind(HttpServer).to(HttpServerImpl).inSingletonScope();
  bind(HealthRoutes).toSelf().inSingletonScope();
  bind(Readiness).to(ReadinessImpl).inSingletonScope();
});
