import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { Navigate, Route, Routes } from 'react-router-dom'
import { Spin } from 'antd'
import type { OperatorSession } from '@xianlin/shared'
import { api, rememberCsrf } from './api'
import { SessionContext, can } from './session'
import { SignInPage } from './pages/SignInPage'

// Each page is loaded when first opened: the sign-in form comes with none of them (the overview
// and the analytics carry the chart library).
const ConsoleLayout = lazy(() => import('./ConsoleLayout').then((m) => ({ default: m.ConsoleLayout })))
const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })))
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })))
const ExceptionsPage = lazy(() => import('./pages/ExceptionsPage').then((m) => ({ default: m.ExceptionsPage })))
const OperatorsPage = lazy(() => import('./pages/OperatorsPage').then((m) => ({ default: m.OperatorsPage })))
const LeadersPage = lazy(() => import('./pages/LeadersPage').then((m) => ({ default: m.LeadersPage })))
const MembersPage = lazy(() => import('./pages/MembersPage').then((m) => ({ default: m.MembersPage })))
const MemberPage = lazy(() => import('./pages/MemberPage').then((m) => ({ default: m.MemberPage })))
const RulesPage = lazy(() => import('./pages/RulesPage').then((m) => ({ default: m.RulesPage })))
const ProductsPage = lazy(() => import('./pages/ProductsPage').then((m) => ({ default: m.ProductsPage })))
const SessionsPage = lazy(() => import('./pages/SessionsPage').then((m) => ({ default: m.SessionsPage })))
const OrdersPage = lazy(() => import('./pages/OrdersPage').then((m) => ({ default: m.OrdersPage })))
const AfterSalesPage = lazy(() => import('./pages/AfterSalesPage').then((m) => ({ default: m.AfterSalesPage })))
const PickListPage = lazy(() => import('./pages/PickListPage').then((m) => ({ default: m.PickListPage })))
const GroupbuysPage = lazy(() => import('./pages/GroupbuysPage').then((m) => ({ default: m.GroupbuysPage })))
const StoresPage = lazy(() => import('./pages/StoresPage').then((m) => ({ default: m.StoresPage })))
const MallPage = lazy(() => import('./pages/MallPage').then((m) => ({ default: m.MallPage })))
const CouponsPage = lazy(() => import('./pages/CouponsPage').then((m) => ({ default: m.CouponsPage })))
const TrustPage = lazy(() => import('./pages/TrustPage').then((m) => ({ default: m.TrustPage })))
const CampaignsPage = lazy(() => import('./pages/CampaignsPage').then((m) => ({ default: m.CampaignsPage })))
const OverviewPage = lazy(() => import('./pages/OverviewPage').then((m) => ({ default: m.OverviewPage })))
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })))

/** Who is signed in decides everything: the sign-in page, the forced password change, or the console. */
export function App() {
  const [session, setSessionState] = useState<OperatorSession | null | undefined>(undefined)
  const setSession = useCallback((next: OperatorSession | null) => {
    rememberCsrf(next?.csrfToken ?? null)
    setSessionState(next)
  }, [])

  useEffect(() => {
    // Not signed in (401) or the server unreachable: either way, the sign-in page.
    api.get('operatorSession', '/api/console/session').then(setSession, () => setSession(null))
    const signedOut = () => setSession(null)
    window.addEventListener('console:signed-out', signedOut)
    return () => window.removeEventListener('console:signed-out', signedOut)
  }, [setSession])

  if (session === undefined) return <Spin fullscreen tip="正在加载" />
  if (session === null) return <SignInPage onSignedIn={setSession} />

  const home = can(session, 'reports') ? '/overview' : can(session, 'audit') ? '/audit' : '/account'
  return (
    <SessionContext.Provider value={{ session, setSession }}>
      <Suspense fallback={<Spin fullscreen />}>
      {session.operator.mustChangePassword ? (
        <AccountPage forced />
      ) : (
        <ConsoleLayout>
          <Suspense fallback={<Spin />}>
          <Routes>
            <Route path="/" element={<Navigate to={home} replace />} />
            {can(session, 'reports') && <Route path="/overview" element={<OverviewPage />} />}
            {can(session, 'reports') && <Route path="/analytics" element={<AnalyticsPage />} />}
            {can(session, 'catalogue') && <Route path="/products" element={<ProductsPage />} />}
            {can(session, 'catalogue') && <Route path="/sessions" element={<SessionsPage />} />}
            {can(session, 'activities') && <Route path="/groupbuys" element={<GroupbuysPage />} />}
            {can(session, 'mall') && <Route path="/mall" element={<MallPage />} />}
            {can(session, 'coupons') && <Route path="/coupons" element={<CouponsPage />} />}
            {can(session, 'campaigns') && <Route path="/campaigns" element={<CampaignsPage />} />}
            {can(session, 'orders') && <Route path="/orders" element={<OrdersPage />} />}
            {can(session, 'orders') && <Route path="/pick-list" element={<PickListPage />} />}
            {can(session, 'refunds') && <Route path="/after-sales" element={<AfterSalesPage />} />}
            {(can(session, 'refunds') || can(session, 'liability')) && <Route path="/exceptions" element={<ExceptionsPage />} />}
            {can(session, 'members') && <Route path="/trust" element={<TrustPage />} />}
            {can(session, 'members') && <Route path="/members" element={<MembersPage />} />}
            {can(session, 'members') && <Route path="/members/:id" element={<MemberPage />} />}
            {can(session, 'stores') && <Route path="/stores" element={<StoresPage />} />}
            {(can(session, 'leaders') || can(session, 'withdrawals')) && <Route path="/leaders" element={<LeadersPage />} />}
            {can(session, 'audit') && <Route path="/audit" element={<AuditPage />} />}
            {can(session, 'rules') && <Route path="/rules" element={<RulesPage />} />}
            {can(session, 'operators') && <Route path="/operators" element={<OperatorsPage />} />}
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<Navigate to={home} replace />} />
          </Routes>
          </Suspense>
        </ConsoleLayout>
      )}
      </Suspense>
    </SessionContext.Provider>
  )
}
