import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { Navigate, Route, Routes } from 'react-router-dom'
import { Spin } from 'antd'
import type { OperatorSession } from '@xianlin/shared'
import { api, rememberCsrf } from './api'
import { SessionContext, can } from './session'
import { ConsoleLayout } from './ConsoleLayout'
import { SignInPage } from './pages/SignInPage'
import { AccountPage } from './pages/AccountPage'
import { AuditPage } from './pages/AuditPage'
import { ExceptionsPage } from './pages/ExceptionsPage'
import { OperatorsPage } from './pages/OperatorsPage'
import { LeadersPage } from './pages/LeadersPage'
import { MembersPage } from './pages/MembersPage'
import { MemberPage } from './pages/MemberPage'
import { RulesPage } from './pages/RulesPage'
import { ProductsPage } from './pages/ProductsPage'
import { SessionsPage } from './pages/SessionsPage'
import { OrdersPage } from './pages/OrdersPage'
import { AfterSalesPage } from './pages/AfterSalesPage'
import { PickListPage } from './pages/PickListPage'
import { GroupbuysPage } from './pages/GroupbuysPage'
import { StoresPage } from './pages/StoresPage'
import { MallPage } from './pages/MallPage'
import { CouponsPage } from './pages/CouponsPage'
import { TrustPage } from './pages/TrustPage'
import { CampaignsPage } from './pages/CampaignsPage'

// The overview carries the chart library: loaded when first opened, not with the sign-in page.
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
    </SessionContext.Provider>
  )
}
